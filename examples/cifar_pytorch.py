"""A CIFAR-10 classifier in PyTorch, as the tutorials write it: a model class, data, a training loop.

Layer Lens shows each module's output shape and parameters on the line that makes it, the shape of each line of
`forward`, and the model's total, without running anything. One mistake is left in on purpose: fc1 expects
4,096 features, but the feature map flattens to 2,048 — the RuntimeError PyTorch raises only once training starts
("mat1 and mat2 shapes cannot be multiplied (32x2048 and 4096x256)"). The quick fix sets in_features.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

BATCH_SIZE = 32
EPOCHS = 10


def conv_block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel_size=3, padding=1),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class CifarNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(conv_block(3, 32), conv_block(32, 64), conv_block(64, 128))
        self.dropout = nn.Dropout(0.3)
        self.fc1 = nn.Linear(4096, 256)
        self.fc2 = nn.Linear(256, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


def train(model, loader, optimizer):
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    model = CifarNet()
    print(model(torch.randn(BATCH_SIZE, 3, 32, 32)).shape)

    data = datasets.CIFAR10("data", train=True, download=True, transform=transforms.ToTensor())
    loader = DataLoader(data, batch_size=BATCH_SIZE, shuffle=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(EPOCHS):
        train(model, loader, optimizer)
